import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './run-sf.js';

/** The Python 0.0.3 wire peer of the e2e suite (see its docstring). */
export const PEER_003 = join(ROOT, 'test/e2e/python/peer_003.py');

/** Debian's python3 when it can import zmq and msgpack (python3-zmq, python3-msgpack), else undefined. */
export const PYTHON: string | undefined =
  spawnSync('/usr/bin/python3', ['-c', 'import zmq, msgpack']).status === 0 ? '/usr/bin/python3' : undefined;
