/**
 * What may be sent through a connection: methods, headers, bodies. The credential header is
 * Patchbay's alone; every refusal names the field.
 */
import { describe, expect, it } from 'vitest';
import { checkRequestInput } from '../../../main/core/requests/request-input';

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return (error as { field?: string }).field;
  }
  return 'accepted';
};

describe('checkRequestInput', () => {
  it('upper-cases the method, defaults to GET, and adds a JSON content type to a JSON body', () => {
    expect(checkRequestInput({}, 'authorization')).toEqual({ method: 'GET', headers: [], body: undefined });
    expect(checkRequestInput({ method: 'post', body: '{"a":1}' }, 'authorization').headers).toEqual([
      ['Content-Type', 'application/json'],
    ]);
    expect(checkRequestInput({ method: 'POST', body: 'a=1' }, 'authorization').headers).toEqual([]);
    expect(
      checkRequestInput({ method: 'POST', body: '{"a":1}', headers: [['content-type', 'text/plain']] }, 'authorization')
        .headers,
    ).toEqual([['content-type', 'text/plain']]);
  });

  it.each([
    [{ method: 'GE T' }, 'method'],
    [{ method: 'TRACE' }, 'method'],
    [{ method: 'CONNECT' }, 'method'],
    [{ headers: [['Authorization', 'Bearer x']] as Array<[string, string]> }, 'headers'],
    [{ headers: [['api-token', 'x']] as Array<[string, string]> }, 'headers'],
    [{ headers: [['Host', 'evil.example']] as Array<[string, string]> }, 'headers'],
    [{ headers: [['X-A', 'a\r\nInjected: 1']] as Array<[string, string]> }, 'headers'],
    [{ headers: [['Bad Name', 'x']] as Array<[string, string]> }, 'headers'],
    [{ method: 'GET', body: 'x' }, 'body'],
  ])('refuses %j naming %s', (input, field) => {
    expect(fieldOf(() => checkRequestInput(input, 'api-token'))).toBe(field);
  });
});
