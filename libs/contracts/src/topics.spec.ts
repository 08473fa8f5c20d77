import { TOPIC_SPECS, TOPICS, dlqTopic } from './topics';

describe('topic registry', () => {
  it('lists every named topic and its dead-letter twin exactly once', () => {
    const names = TOPIC_SPECS.map((spec) => spec.name);
    expect(new Set(names).size).toBe(names.length);
    for (const topic of Object.values(TOPICS)) {
      expect(names).toContain(topic);
      expect(names).toContain(dlqTopic(topic));
    }
    expect(names).toHaveLength(Object.values(TOPICS).length * 2);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(TOPICS)).toBe(true);
    expect(() => {
      (TOPICS as Record<string, string>)['caseSubmitted'] = 'x';
    }).toThrow(TypeError);
  });

  it('gives every topic a positive partition count', () => {
    for (const spec of TOPIC_SPECS) expect(spec.partitions).toBeGreaterThan(0);
  });
});
