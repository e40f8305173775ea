/**
 * The steady-load probe against a local server that answers, then fails, then is gone: every
 * request is counted once, each kind of failure is one, and the longest run is the outage's.
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { startLoadProbe, summarize } from '../../src/cluster/load-probe';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('summarize: failures counted, the longest consecutive run, the first reasons', () => {
  expect(summarize([undefined, 'status 503', 'ECONNRESET', undefined, 'status 503'])).toEqual({ sent: 5, failed: 3, longestFailureRun: 2, firstFailures: ['status 503', 'ECONNRESET', 'status 503'] });
  expect(summarize([])).toEqual({ sent: 0, failed: 0, longestFailureRun: 0, firstFailures: [] });
});

test('a rate outside the bounds is refused, naming it', () => {
  expect(() => startLoadProbe({ url: 'http://127.0.0.1:1/', ratePerSecond: 1000 })).toThrow(/rate 1000\/s is outside 1\.\.200/);
});

test('a healthy server loses nothing; 503s and a refused port are failures, in one run', async () => {
  let status = 200;
  const server = http.createServer((_, res) => res.writeHead(status).end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const healthy = startLoadProbe({ url, ratePerSecond: 50 });
  await sleep(500);
  expect(await healthy.stop()).toMatchObject({ failed: 0, longestFailureRun: 0 });

  const probe = startLoadProbe({ url, ratePerSecond: 50 });
  await sleep(300);
  status = 503;
  await sleep(300);
  // keep-alive connections are closed with the server, so later requests are refused
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await sleep(300);
  const report = await probe.stop();
  expect(report.sent).toBeGreaterThan(30);
  expect(report.failed).toBeGreaterThan(report.sent / 3);
  expect(report.failed).toBeLessThan(report.sent);
  // the 503s and the refusals follow each other without a success between them
  expect(report.longestFailureRun).toBe(report.failed);
  expect(report.firstFailures[0]).toBe('status 503');
});
