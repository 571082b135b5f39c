export { freePort, freePorts } from './free-port.js';
export { RawProxy, RawRequester, msgpackFixstr } from './raw-zmq.js';
export { FIXTURES, REPO_ROOT, SF_BIN, SfProcess, type StartSfOptions, startSf } from './sf-process.js';
export { alivePids, type Exit, killAll, TrackedProcess, type TrackedOptions } from './tracked-process.js';
export { type PeerEvent, PythonPeer, type PythonModels, py, pythonForPeer } from './python-peer.js';
export { type AddressesFile, type AddressSide, loopback, TempFiles } from './temp-files.js';
export { type FuzzMessage, FrameFuzzer, seeded } from './frame-fuzzer.js';
export { FramePublisher, PipelinedRequester, rssKb, SnapshotResponder } from './fuzz-peers.js';
export { packRaw, Raw, type RawValue } from './raw-msgpack.js';
