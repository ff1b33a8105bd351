import { describe, expect, it } from 'vitest';
import { formatRate, parsePrometheus, queryCounters, queryFigures, readMetrics } from '../console/src/browser/metrics.js';

/** What the server's GET /metrics says about two queries (shape as served, trimmed). */
const TEXT = `# HELP sluice_query_records_in_total Records a persistent query read.
# TYPE sluice_query_records_in_total counter
sluice_query_records_in_total{query_id="CTAS_PER_USER_0"} 10
sluice_query_records_in_total{query_id="CSAS_DOUBLED_1"} 4
# TYPE sluice_query_records_out_total counter
sluice_query_records_out_total{query_id="CTAS_PER_USER_0"} 8
sluice_query_processing_errors_total{query_id="CSAS_DOUBLED_1"} 1
sluice_query_state_entries{query_id="CTAS_PER_USER_0"} 3
sluice_query_lag{query_id="CTAS_PER_USER_0",topic="clicks",partition="0"} 5
sluice_query_lag{query_id="CTAS_PER_USER_0",topic="clicks",partition="1"} 2
process_cpu_seconds_total 1.25
`;

describe('parsePrometheus', () => {
  it('reads names, labels and values, skipping comments and blank lines', () => {
    const samples = parsePrometheus(TEXT);
    expect(samples).toHaveLength(8);
    expect(samples[0]).toEqual({ name: 'sluice_query_records_in_total', labels: { query_id: 'CTAS_PER_USER_0' }, value: 10 });
    expect(samples[5]).toEqual({ name: 'sluice_query_lag', labels: { query_id: 'CTAS_PER_USER_0', topic: 'clicks', partition: '0' }, value: 5 });
    expect(samples[7]).toEqual({ name: 'process_cpu_seconds_total', labels: {}, value: 1.25 });
  });

  it('unescapes label values and ignores timestamps, special values and malformed lines', () => {
    const samples = parsePrometheus(
      ['m{query_id="a\\"b\\\\c\\nd",x="1,2"} 3 1700000000000', 'up +Inf', 'broken{query_id="never closed} 1', 'novalue{query_id="q"}', 'nan NaN'].join('\n'),
    );
    expect(samples).toEqual([
      { name: 'm', labels: { query_id: 'a"b\\c\nd', x: '1,2' }, value: 3 },
      { name: 'up', labels: {}, value: Number.POSITIVE_INFINITY },
    ]);
  });
});

describe('queryCounters', () => {
  it('gathers each query_id’s records in and out, processing errors, and lag summed over partitions', () => {
    const byQuery = queryCounters(parsePrometheus(TEXT));
    expect(Object.fromEntries(byQuery)).toEqual({
      CTAS_PER_USER_0: { recordsIn: 10, recordsOut: 8, lag: 7, processingErrors: 0 },
      CSAS_DOUBLED_1: { recordsIn: 4, recordsOut: 0, lag: 0, processingErrors: 1 },
    });
  });
});

describe('queryFigures', () => {
  it('has no rates from one reading', () => {
    const f = queryFigures(undefined, readMetrics(TEXT, 1000)).get('CTAS_PER_USER_0');
    expect(f).toMatchObject({ recordsIn: 10, inPerSec: undefined, outPerSec: undefined });
  });

  it('takes rates per second from the difference of two readings', () => {
    const before = readMetrics(TEXT, 1000);
    const after = readMetrics(
      'sluice_query_records_in_total{query_id="CTAS_PER_USER_0"} 30\nsluice_query_records_out_total{query_id="CTAS_PER_USER_0"} 12\nsluice_query_records_in_total{query_id="NEW_2"} 5\n',
      5000,
    );
    const figures = queryFigures(before, after);
    expect(figures.get('CTAS_PER_USER_0')).toEqual({ recordsIn: 30, recordsOut: 12, lag: 0, processingErrors: 0, inPerSec: 5, outPerSec: 1 });
    // A query the earlier reading did not name has no rate yet.
    expect(figures.get('NEW_2')?.inPerSec).toBeUndefined();
    // One that is gone is gone.
    expect(figures.has('CSAS_DOUBLED_1')).toBe(false);
  });

  it('counts a counter that went down (the query restarted) from zero', () => {
    const before = readMetrics('sluice_query_records_in_total{query_id="q"} 100\n', 0);
    const after = readMetrics('sluice_query_records_in_total{query_id="q"} 6\n', 2000);
    expect(queryFigures(before, after).get('q')?.inPerSec).toBe(3);
  });

  it('has no rates when no time passed', () => {
    const r = readMetrics(TEXT, 1000);
    expect(queryFigures(r, r).get('CTAS_PER_USER_0')?.inPerSec).toBeUndefined();
  });
});

describe('formatRate', () => {
  it('shows unknown, small, and large rates readably', () => {
    expect(formatRate(undefined)).toBe('–/s');
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(2.54)).toBe('2.5/s');
    expect(formatRate(1204.4)).toBe('1,204/s');
  });
});
