import { positiveOption } from './cli-options';

describe('positiveOption', () => {
  it('reads a positive number', () => {
    expect(positiveOption('rate', '2.5')).toBe(2.5);
  });

  it.each(['0', '-1', 'ten', ''])('refuses %j, naming the option', (raw) => {
    expect(() => positiveOption('rate', raw)).toThrow(`--rate must be a positive number, got "${raw}"`);
  });
});
