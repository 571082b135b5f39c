import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { addressProblem, isLocalEndpoint, parseAddress } from './parse-address.js';

describe('parseAddress', () => {
  it('binds the host as written: loopback stays loopback, * and 0.0.0.0 are every interface', () => {
    expect(parseAddress('127.0.0.1:8001', 'bind')).toBe('tcp://127.0.0.1:8001');
    expect(parseAddress('127.0.0.2:8001', 'bind')).toBe('tcp://127.0.0.2:8001');
    expect(parseAddress('localhost:8001', 'bind')).toBe('tcp://127.0.0.1:8001');
    expect(parseAddress('[::1]:8001', 'bind')).toBe('tcp://[::1]:8001');
    expect(parseAddress('*:5555', 'bind')).toBe('tcp://*:5555');
    expect(parseAddress('0.0.0.0:5555', 'bind')).toBe('tcp://*:5555');
    expect(parseAddress('10.1.2.3:5555', 'bind')).toBe('tcp://10.1.2.3:5555');
    expect(parseAddress('127.0.0.1:8001', 'connect')).toBe('tcp://127.0.0.1:8001');
    expect(parseAddress('my-host.local:65535', 'connect')).toBe('tcp://my-host.local:65535');
    expect(parseAddress('[::1]:5555', 'connect')).toBe('tcp://[::1]:5555');
  });

  it('tells endpoints only this machine can reach from the rest', () => {
    for (const local of ['tcp://127.0.0.1:1', 'tcp://127.9.9.9:1', 'tcp://localhost:1', 'tcp://[::1]:1', 'ipc:///tmp/x', 'inproc://x']) {
      expect(isLocalEndpoint(local), local).toBe(true);
    }
    for (const open of ['tcp://*:1', 'tcp://0.0.0.0:1', 'tcp://10.1.2.3:1', 'tcp://eth0:1', 'tcp://[::]:1', 'tcp://128.0.0.1:1']) {
      expect(isLocalEndpoint(open), open).toBe(false);
    }
  });

  it('keeps full tcp, ipc and inproc endpoints', () => {
    for (const role of ['bind', 'connect'] as const) {
      expect(parseAddress('tcp://127.0.0.1:9000', role)).toBe('tcp://127.0.0.1:9000');
      expect(parseAddress('ipc:///tmp/sf.sock', role)).toBe('ipc:///tmp/sf.sock');
      expect(parseAddress('inproc://orders', role)).toBe('inproc://orders');
    }
    expect(parseAddress('tcp://*:9000', 'bind')).toBe('tcp://*:9000');
  });

  it('rejects connecting to *', () => {
    expect(() => parseAddress('*:5555', 'connect')).toThrow("a connecting socket needs a host, not '*'");
    expect(() => parseAddress('tcp://*:5555', 'connect')).toThrow("a connecting socket needs a host, not '*'");
  });

  it('explains what is wrong and how to write it, with the location', () => {
    let error: ConfigError | undefined;
    try {
      parseAddress('5555', 'connect', { model: 'connection_models.out.orders', argument: 'requester' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.code).toBe('SF_ADDRESSES_INVALID');
    expect(error!.message).toBe(
      "Bad address '5555': it has a port but no host (model connection_models.out.orders, argument requester). " +
        "Write host:port (e.g. '127.0.0.1:5555') or a full ZeroMQ endpoint ('tcp://host:port', 'ipc:///tmp/name.sock', 'inproc://name')",
    );
  });
});

describe('addressProblem', () => {
  it('accepts valid addresses', () => {
    for (const addr of ['127.0.0.1:1', 'localhost:8080', 'tcp://eth0:5555', 'tcp://*:*', 'ipc://relative.sock']) {
      expect(addressProblem(addr), addr).toBeUndefined();
    }
  });

  it('names the problem of invalid ones', () => {
    expect(addressProblem('')).toBe('it is empty');
    expect(addressProblem('host:0')).toBe("port '0' is not a number between 1 and 65535");
    expect(addressProblem('host:70000')).toBe("port '70000' is not a number between 1 and 65535");
    expect(addressProblem('host:abc')).toBe("port 'abc' is not a number between 1 and 65535");
    expect(addressProblem('host')).toBe("it is neither 'host:port' nor a tcp://, ipc:// or inproc:// endpoint");
    expect(addressProblem('a b:1')).toBe('it contains whitespace');
    expect(addressProblem('ws://h:1')).toBe("transport 'ws://' is not supported; use tcp://, ipc:// or inproc://");
    expect(addressProblem('tcp://')).toBe("'tcp://' needs a host:port after it");
    expect(addressProblem('inproc://')).toBe("'inproc://' needs a name after it");
    expect(addressProblem('tcp://host')).toBe("a tcp:// endpoint needs 'host:port' after it");
    expect(addressProblem('tcp://host:99999')).toBe('port 99999 is not between 1 and 65535');
  });
});
