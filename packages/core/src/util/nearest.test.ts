import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, nearest } from './nearest.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('', 'ab')).toBe(2);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('conection_models', 'connection_models')).toBe(1);
  });

  it('counts a swap of neighbouring characters as one edit', () => {
    expect(editDistance('mian', 'main')).toBe(1);
    expect(editDistance('replyre', 'replyer')).toBe(1);
  });

  it('is symmetric', () => {
    expect(editDistance('publisher', 'subscriber')).toBe(editDistance('subscriber', 'publisher'));
  });
});

describe('nearest', () => {
  const types = ['replyer', 'requester', 'publisher', 'subscriber'];

  it('returns the closest candidate within the limit', () => {
    expect(nearest('replier', types)).toBe('replyer');
    expect(nearest('subscribr', types)).toBe('subscriber');
  });

  it('compares case-insensitively', () => {
    expect(nearest('Publisher', types)).toBe('publisher');
  });

  it('returns undefined when nothing is close', () => {
    expect(nearest('http_server', types)).toBeUndefined();
    expect(nearest('xy', ['ab'])).toBeUndefined();
  });

  it('never suggests the input itself', () => {
    expect(nearest('replyer', ['replyer'])).toBeUndefined();
  });

  it('honours maxDistance', () => {
    expect(nearest('rplyr', types)).toBeUndefined();
    expect(nearest('rplyr', types, { maxDistance: 2 })).toBe('replyer');
  });

  it('formats a hint sentence', () => {
    expect(didYouMean('replier', types)).toBe("Did you mean 'replyer'?");
    expect(didYouMean('zzz', types)).toBe('');
  });
});
