import { describe, expect, it } from 'vitest';
import { benchPanel, formatBenchPanel } from '../../src/simulate/bench.js';
import { parseBed, readBed } from '../../src/panel/bed.js';
import { DEFAULT_PANEL } from '../../src/pipeline/shipped.js';

describe('the benchmark panel BED', () => {
  it('is read back with every probe\'s GC, so the simulator and her2cn both see it', () => {
    const probes = benchPanel(readBed(DEFAULT_PANEL).probes, 300, 'bench panel test');
    const read = parseBed(formatBenchPanel(probes), 'panel.bed').probes;
    expect(read).toHaveLength(probes.length);
    expect(read.every(p => typeof p.gc === 'number')).toBe(true);
    expect(read.map(p => p.gc)).toEqual(probes.map(p => p.gc));
  });
});
