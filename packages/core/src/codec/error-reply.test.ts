import { describe, expect, expectTypeOf, it } from 'vitest';
import { DecodeError, EncodeError, HandlerError, isPublicError, PublicError, RemoteError, ValidationError } from '../errors.js';
import { decodeReply, encodeReply } from './envelope.js';
import { encodeErrorReply } from './error-reply.js';
import { packWire } from './msgpack.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const t = (text: string) => Buffer.from(text, 'ascii').toString('hex');

/** A ValidationError located as the runner locates one: service file, model, argument. */
const badArgs = () =>
  new ValidationError(
    'Value does not match its type',
    { expected: 'String', received: 'number 7' },
    { service: '/srv/app/orders.ts', model: 'connection_models.in.orders', argument: 'args.order_id', hint: 'Send a string' },
  );

describe('encodeErrorReply', () => {
  it('a request fault: what, argument path and hint; no service, model or file', () => {
    const reply = decodeReply(encodeErrorReply('wf-1', badArgs(), 'request'));
    expect(reply).toEqual({
      return_args: null,
      workflow_id: 'wf-1',
      error: {
        type: 'ValidationError',
        code: 'SF_VALIDATION_FAILED',
        message: 'Value does not match its type: expected String, received number 7 (argument args.order_id). Send a string',
      },
    });
    const decode = new DecodeError('Request frame is a number', { hint: 'Send a map', file: '/srv/app/x.json' });
    expect(decodeReply(encodeErrorReply(null, decode, 'request')).error).toEqual({
      type: 'DecodeError',
      code: 'SF_DECODE_FAILED',
      message: 'Request frame is a number. Send a map',
    });
  });

  it('a service fault: whatever was thrown (even a framework error) becomes a HandlerError naming only the workflow id', () => {
    const thrown = [
      new Error('secret at /etc/app/key.pem'),
      badArgs(),
      new RemoteError({ type: 'PublicError', message: 'downstream' }),
      'a string',
      undefined,
    ];
    for (const error of thrown) {
      const frame = encodeErrorReply('wf-2', error, 'service');
      expect(decodeReply(frame).error, String(error)).toEqual({
        type: 'HandlerError',
        code: 'SF_HANDLER_FAILED',
        message: 'The service failed to handle the request (workflow id wf-2). Its log has the details under this workflow id',
      });
      expect(Buffer.from(frame).toString('latin1')).not.toMatch(/\/srv|\/etc|secret|downstream/);
    }
    expect(decodeReply(encodeErrorReply(null, new Error('x'), 'service')).error?.message).toBe(new HandlerError(null).message);
    // A request fault that is not a framework error is not described either.
    expect(decodeReply(encodeErrorReply(null, new Error('/etc/passwd'), 'request')).error?.code).toBe('SF_HANDLER_FAILED');
  });

  it('a PublicError: its class name, code and message as written, whoever is at fault; its cause stays local', () => {
    class OrderNotFound extends PublicError<'ORDER_NOT_FOUND'> {}
    const error = new OrderNotFound('no order 42', { code: 'ORDER_NOT_FOUND', cause: new Error('/var/db/orders.sqlite') });
    expectTypeOf(error.code).toEqualTypeOf<'ORDER_NOT_FOUND'>();
    expect(error.message).toBe('no order 42');
    for (const fault of ['service', 'request'] as const) {
      const frame = encodeErrorReply('wf-3', error, fault);
      expect(decodeReply(frame).error).toEqual({ type: 'OrderNotFound', code: 'ORDER_NOT_FOUND', message: 'no order 42' });
      expect(Buffer.from(frame).toString('latin1')).not.toContain('/var/db');
    }
    expect(decodeReply(encodeErrorReply('wf-4', new PublicError('closed for the day'), 'service')).error).toEqual({
      type: 'PublicError',
      code: 'SF_PUBLIC_ERROR',
      message: 'closed for the day',
    });
  });

  it('recognizes a PublicError of another copy of @sf/core, and falls back when plain JS gives it odd fields', () => {
    const brand = Symbol.for('@sf/core/public-error');
    class OtherCopy extends Error {
      readonly code = 'OTHER';
      readonly what = 'from another copy';
      get [brand]() {
        return true;
      }
    }
    expect(isPublicError(new OtherCopy())).toBe(true);
    expect(isPublicError(new Error('plain'))).toBe(false);
    expect(isPublicError({ [brand]: true })).toBe(false);
    expect(decodeReply(encodeErrorReply(null, new OtherCopy(), 'service')).error).toEqual({
      type: 'Error',
      code: 'OTHER',
      message: 'from another copy',
    });

    const odd = new PublicError('fine');
    Object.defineProperty(odd, 'code', { value: 42 });
    Object.defineProperty(odd, 'name', { value: Symbol('n') });
    expect(decodeReply(encodeErrorReply(null, odd, 'service')).error).toEqual({
      type: 'PublicError',
      code: 'SF_PUBLIC_ERROR',
      message: 'fine',
    });
  });
});

describe('the code key of an error reply', () => {
  it('is written after type and message', () => {
    expect(hex(encodeReply({ return_args: null, workflow_id: null, error: { type: 'E', message: 'm', code: 'C' } }))).toBe(
      `83ab${t('return_args')}c0ab${t('workflow_id')}c0a5${t('error')}83a4${t('type')}a1${t('E')}a7${t('message')}a1${t('m')}a4${t('code')}a1${t('C')}`,
    );
    expect(() => encodeReply({ return_args: null, workflow_id: null, error: { type: 'E', message: 'm', code: 5 as never } })).toThrow(
      EncodeError,
    );
  });

  it('is read when it is a string; a reply without it (a Python peer) or with another kind of value has none; other keys are ignored', () => {
    const reply = (error: unknown) => decodeReply(packWire({ return_args: null, workflow_id: null, error })).error;
    expect(reply({ type: 'E', message: 'm', code: 'C', extra: [1] })).toEqual({ type: 'E', message: 'm', code: 'C' });
    expect(reply({ type: 'E', message: 'm' })).toEqual({ type: 'E', message: 'm' });
    expect(reply({ type: 'E', message: 'm', code: 7 })).toEqual({ type: 'E', message: 'm' });
  });

  it('reaches the caller in RemoteError: type, code and message', () => {
    const remote = new RemoteError(
      { type: 'HandlerError', code: 'SF_HANDLER_FAILED', message: 'see wf-1' },
      { model: 'connection_models.out.ask' },
    );
    expect(remote.remoteType).toBe('HandlerError');
    expect(remote.remoteCode).toBe('SF_HANDLER_FAILED');
    expect(remote.message).toBe('The peer answered with HandlerError SF_HANDLER_FAILED: see wf-1 (model connection_models.out.ask)');
    expect(new RemoteError({ type: 'ValueError', message: 'bad' }).message).toBe('The peer answered with ValueError: bad');
  });
});
