/**
 * The node's kubelet API (src/cluster/node/kubelet-api.ts) as users reach it: kubectl exec,
 * logs and port-forward through the apiserver, istioctl's proxy diagnostics, client-go's
 * remotecommand, and the node's own authentication and authorization.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { join } from 'path';
import { waitFor } from '../../src/cluster/control-plane';
import { signedByCa } from '../../src/cluster/pki';
import { ensureControlPlaneBinaries } from '../../src/cluster/binaries';
import { KWOK_NODE, LOCAL_NODE } from '../../src/cluster/cluster';
import { CURL_IMAGE, httpbin, sleep } from '../../src/cluster/samples';
import { kubectlBinary } from '../../src/tools/helm';
import { goBuildProgram } from '../../src/tools/go';
import { createNamespace, installIstio, useControlPlane } from '../support/cluster';
import { eventually } from '../support/mesh';

const NS = 'look';

const c = useControlPlane(async (cluster) => {
  await installIstio(cluster);
  await createNamespace(cluster.cp, NS, { 'istio-injection': 'enabled' });
  const logger = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'logger', namespace: NS, annotations: { 'sidecar.istio.io/inject': 'false' } },
    spec: {
      containers: [{
        name: 'logger',
        image: CURL_IMAGE,
        // each instance says when it started, then ticks on stdout; one line goes to stderr, and
        // one through /dev/stdout reopened by the container's user (as Envoy writes access logs)
        command: ['sh', '-c', 'echo "started $(date +%s%N)"; echo reopened > /dev/stdout; echo "to stderr" >&2; i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 1; done'],
      }],
    },
  };
  // an image the node has no program for: kwok plays the pod
  const simulated = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'elsewhere', namespace: NS, annotations: { 'sidecar.istio.io/inject': 'false' } }, spec: { containers: [{ name: 'web', image: 'registry.example/web:1' }] } };
  cluster.cp.apply([httpbin({ namespace: NS }), sleep({ namespace: NS }), JSON.stringify(logger), JSON.stringify(simulated)].join('\n---\n'));
  await cluster.cluster.waitForRollout(NS, 'httpbin');
  await cluster.cluster.waitForRollout(NS, 'sleep');
  await waitFor('pod look/logger running', 120_000, async () => ((await cluster.cp.get(`/api/v1/namespaces/${NS}/pods/logger`))?.status?.phase === 'Running' ? true : undefined));
});

const kubectl = (args: string[], input?: string) => c.cp.kubectl(args, input);
const podName = async (selector: string, ns = NS) => (await c.cluster.runningPods(ns, selector))[0].metadata.name as string;

describe('exec', () => {
  test('the command\'s exit code reaches kubectl', async () => {
    const r = kubectl(['exec', '-n', NS, 'deploy/sleep', '-c', 'sleep', '--', 'sh', '-c', 'exit 3']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(3);
  });

  test('stdin reaches the command: echo hi | kubectl exec -i ... -- cat', async () => {
    const r = kubectl(['exec', '-i', '-n', NS, 'deploy/sleep', '-c', 'sleep', '--', 'cat'], 'hi\n');
    expect([r.status, r.stdout]).toEqual([0, 'hi\n']);
  });

  test('the command runs in the pod\'s network namespace as the container\'s user', async () => {
    const [pod] = await c.cluster.runningPods(NS, 'app=sleep');
    const app = kubectl(['exec', '-n', NS, pod.metadata.name, '-c', 'sleep', '--', 'sh', '-c', 'id -u; ip -4 -o addr show; cat /etc/hostname 2>/dev/null; hostname']);
    expect(app.status).toBe(0);
    const [uid, ...rest] = app.stdout.trim().split('\n');
    expect(uid).toBe('100'); // the curl image's user
    expect(rest.join('\n')).toContain(`inet ${pod.status.podIP}/`);
    expect(rest.join('\n')).toContain(pod.metadata.name);
    const proxy = kubectl(['exec', '-n', NS, pod.metadata.name, '-c', 'istio-proxy', '--', 'id', '-u']);
    expect([proxy.status, proxy.stdout.trim()]).toEqual([0, '1337']);
  });

  test('client-go\'s remotecommand (what the conformance suite uses) runs a command, with its exit code, and a TTY of the size it asks', async () => {
    const binary = goBuildProgram({ label: 'the remotecommand test client', main: join(__dirname, '..', 'support', 'remote-exec', 'main.go'), requires: [{ path: 'k8s.io/client-go', version: 'v0.36.3' }], key: 'remote-exec', binary: 'remote-exec' });
    const pod = await podName('app=sleep');
    const run = (tty: string, ...command: string[]) => JSON.parse(execFileSync(binary, [c.cp.kubeconfig, NS, pod, 'sleep', tty, ...command], { encoding: 'utf8', timeout: 90_000 }));
    expect(run('-', 'sh', '-c', 'echo out; echo err >&2; exit 7')).toEqual({ stdout: 'out\n', stderr: 'err\n', exitCode: 7 });
    // the size arrives as a resize event after the stream starts; the command reads it after a moment
    const tty = run('40x100', 'sh', '-c', 'sleep 1; stty size; tty');
    expect(tty.exitCode).toBe(0);
    expect(tty.stdout).toMatch(/^40 100\n\/dev\/pts\/\d+\n$/);
  });
});

describe('logs', () => {
  const logs = (...args: string[]) => kubectl(['logs', '-n', NS, 'logger', '-c', 'logger', ...args]);

  test('--tail, --timestamps, --limit-bytes and --since-time filter as a kubelet does', async () => {
    await eventually(async () => expect(logs().stdout).toMatch(/tick 3\n/));
    // stdout and stderr are separate pipes: the stderr line may land before or after tick 1
    const all = logs().stdout.split('\n');
    expect(all[0]).toMatch(/^started \d+$/);
    expect(all[1]).toBe('reopened');
    expect(all.slice(2, 4).sort()).toEqual(['tick 1', 'to stderr']);
    expect(logs('--timestamps').stdout.split('\n').filter((l) => l.endsWith(' to stderr'))).toHaveLength(1);
    expect(logs('--tail=1').stdout).toMatch(/^tick \d+\n$/);
    const stamped = logs('--timestamps').stdout.trim().split('\n');
    for (const line of stamped) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /);
    expect(logs('--limit-bytes=5').stdout).toBe('start');
    expect(logs('--tail=-1', '--timestamps').stdout).toMatch(/Z reopened\n/);
    // from the third tick's time on: the start and the first two ticks are left out
    const third = stamped.find((l) => l.endsWith(' tick 3'))!.split(' ')[0];
    const since = logs(`--since-time=${third}`).stdout;
    expect(since).toMatch(/^tick 3\n/);
    expect(since).not.toContain('started');
  });

  test('-f delivers a line written after the call within seconds', async () => {
    const last = Number(/tick (\d+)\n$/.exec(logs().stdout)![1]);
    const follower = spawn(kubectlBinary(), ['--kubeconfig', c.cp.kubeconfig, 'logs', '-f', '--tail=0', '-n', NS, 'logger', '-c', 'logger']);
    let seen = '';
    follower.stdout.on('data', (d) => (seen += d));
    try {
      await waitFor('a new tick through logs -f', 10_000, async () => {
        const ticks = [...seen.matchAll(/tick (\d+)/g)].map((m) => Number(m[1]));
        return ticks.some((t) => t > last) ? true : undefined;
      });
    } finally {
      follower.kill();
    }
  });

  test('--previous shows the instance before the last restart', async () => {
    const first = /started (\d+)/.exec(logs().stdout)![1];
    const onNode = await c.cluster.podOnNode(NS, 'logger');
    process.kill(onNode!.processes.find((p) => p.container === 'logger')!.pid, 'SIGKILL');
    await waitFor('logger restarted and running', 60_000, async () => {
      const pod = await c.cp.get(`/api/v1/namespaces/${NS}/pods/logger`);
      const s = pod.status.containerStatuses[0];
      return s.restartCount >= 1 && s.state.running ? true : undefined;
    });
    await eventually(async () => expect(logs().stdout).toMatch(/started \d+/));
    expect(logs().stdout).not.toContain(`started ${first}`);
    expect(logs('--previous').stdout).toContain(`started ${first}\n`);
  });

  test('a container the pod lacks is named in the error', () => {
    const r = logs('-c', 'nope');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('nope');
  });

  test('istiod\'s and a sidecar\'s logs read as users read them', async () => {
    const istiod = kubectl(['logs', '-n', 'istio-system', 'deploy/istiod', '-c', 'discovery', '--tail=-1']);
    expect(istiod.status).toBe(0);
    expect(istiod.stdout).toMatch(/ADS: new (delta )?connection for node:sleep-/);
    const proxy = kubectl(['logs', '-n', NS, 'deploy/sleep', '-c', 'istio-proxy']);
    expect(proxy.stdout).toMatch(/Envoy proxy is ready/);
  });
});

describe('port-forward', () => {
  let forward: ChildProcess | undefined;
  afterEach(() => forward?.kill());

  /** `kubectl port-forward` of several ports; resolves with the local port of each. */
  async function portForward(target: string, ns: string, ports: number[]): Promise<number[]> {
    forward = spawn(kubectlBinary(), ['--kubeconfig', c.cp.kubeconfig, 'port-forward', '-n', ns, target, ...ports.map((p) => `:${p}`)]);
    let out = '';
    forward.stdout!.on('data', (d) => (out += d));
    forward.stderr!.on('data', (d) => (out += d));
    return waitFor(`kubectl port-forward ${target} ${ports.join(' ')}`, 30_000, async () => {
      const local = ports.map((p) => new RegExp(`127\\.0\\.0\\.1:(\\d+) -> ${p}\\n`).exec(out)?.[1]);
      return local.every(Boolean) ? local.map(Number) : undefined;
    }, () => out);
  }

  test('a sidecar\'s Envoy admin (localhost only) and its health port, at once', async () => {
    const [admin, health] = await portForward(`pod/${await podName('app=httpbin')}`, NS, [15000, 15021]);
    expect(await (await fetch(`http://127.0.0.1:${admin}/ready`)).text()).toBe('LIVE\n');
    expect((await fetch(`http://127.0.0.1:${health}/healthz/ready`)).status).toBe(200);
  });

  test('istiod\'s monitoring port', async () => {
    const [metrics] = await portForward('deploy/istiod', 'istio-system', [15014]);
    expect(await (await fetch(`http://127.0.0.1:${metrics}/metrics`)).text()).toMatch(/^pilot_xds\{/m);
  });
});

describe('istioctl (the pinned build)', () => {
  const istioctl = (...args: string[]) => execFileSync(ensureControlPlaneBinaries().istioctl, ['--kubeconfig', c.cp.kubeconfig, ...args], { encoding: 'utf8', timeout: 120_000 });

  // 1.31's table shows each proxy's subscriptions; the sync check per proxy compares istiod's
  // config with the Envoy's own config dump, read through a port-forward to its admin port
  test('proxy-status lists every sidecar, and each one\'s clusters, listeners and routes match istiod\'s', async () => {
    const out = istioctl('proxy-status');
    for (const app of ['httpbin', 'sleep']) expect(out).toMatch(new RegExp(`^${app}-\\S+\\.${NS}\\s.*\\(CDS,LDS,EDS,RDS\\)`, 'm'));
    for (const app of ['httpbin', 'sleep']) {
      const pod = `${await podName(`app=${app}`)}.${NS}`;
      await eventually(async () => expect(istioctl('proxy-status', pod)).toMatch(/Clusters Match\n.*Listeners Match\n.*Routes Match/s), 60_000);
    }
  });

  test('proxy-config endpoints of the client lists the server\'s pod IPs; proxy-config secret shows the workload\'s SPIFFE certificate', async () => {
    const [server] = await c.cluster.runningPods(NS, 'app=httpbin');
    const client = `${await podName('app=sleep')}.${NS}`;
    await eventually(async () => expect(istioctl('proxy-config', 'endpoints', client, '--cluster', `outbound|8000||httpbin.${NS}.svc.cluster.local`)).toContain(`${server.status.podIP}:8080`), 60_000);
    const secret = JSON.parse(istioctl('proxy-config', 'secret', client, '-o', 'json'));
    const chain = secret.dynamicActiveSecrets.find((s: any) => s.name === 'default').secret.tlsCertificate.certificateChain.inlineBytes;
    const pem = Buffer.from(chain, 'base64').toString();
    const { X509Certificate } = await import('crypto');
    expect(new X509Certificate(pem).subjectAltName).toBe(`URI:spiffe://cluster.local/ns/${NS}/sa/sleep`);
  });
});

describe('the node\'s own API', () => {
  const node = () => `https://${c.cp.netns.address}:10250`;

  test('/healthz and /pods answer through the apiserver\'s node proxy, as a kubelet\'s do', () => {
    expect(kubectl(['get', '--raw', `/api/v1/nodes/${LOCAL_NODE}/proxy/healthz`]).stdout).toBe('ok');
    const pods = JSON.parse(kubectl(['get', '--raw', `/api/v1/nodes/${LOCAL_NODE}/proxy/pods`]).stdout);
    expect(pods.kind).toBe('PodList');
    expect(pods.items.map((p: any) => p.metadata.name)).toContain('logger');
    expect(pods.items.every((p: any) => p.spec.nodeName === LOCAL_NODE)).toBe(true);
  });

  test('an anonymous request gets 401; a client certificate of the CA without nodes/proxy gets 403, and 200 once granted', async () => {
    const curl = (...args: string[]) => execFileSync('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--cacert', c.cp.pki.caCert, ...args], { encoding: 'utf8' });
    expect(curl(`${node()}/pods`)).toBe('401');
    const jane = signedByCa(c.cp.dir, 'jane', '/CN=jane', ['basicConstraints=CA:FALSE', 'keyUsage=digitalSignature,keyEncipherment', 'extendedKeyUsage=clientAuth']);
    const asJane = () => curl('--cert', jane.cert, '--key', jane.key, `${node()}/pods`);
    expect(asJane()).toBe('403');
    // a certificate no cluster CA signed, whatever its name, is anonymous to the node
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'mallory.key', '-out', 'mallory.crt', '-days', '1', '-subj', '/O=system:masters/CN=kube-apiserver-kubelet-client'], { cwd: c.cp.dir, stdio: 'ignore' });
    expect(curl('--cert', join(c.cp.dir, 'mallory.crt'), '--key', join(c.cp.dir, 'mallory.key'), `${node()}/pods`)).toBe('401');
    kubectl(['create', 'clusterrole', 'node-proxy', '--verb=get', '--resource=nodes/proxy']);
    kubectl(['create', 'clusterrolebinding', 'jane-node-proxy', '--clusterrole=node-proxy', '--user=jane']);
    // the node caches a denial for 10 s, as kubelets cache SubjectAccessReviews
    await eventually(async () => expect(asJane()).toBe('200'), 30_000);
  });

  test('exec and logs of a simulated pod fail naming the pod as simulated and why', async () => {
    await waitFor('pod look/elsewhere running on kwok', 60_000, async () => {
      const p = await c.cp.get(`/api/v1/namespaces/${NS}/pods/elsewhere`);
      return p?.spec?.nodeName === KWOK_NODE && p.status?.phase === 'Running' ? true : undefined;
    });
    const logs = kubectl(['logs', '-n', NS, 'elsewhere']);
    expect(logs.status).not.toBe(0);
    expect(logs.stderr).toContain(`pod ${NS}/elsewhere is simulated by kwok on ${KWOK_NODE} (no program stands in for registry.example/web:1)`);
    const exec = kubectl(['exec', '-n', NS, 'elsewhere', '--', 'true']);
    expect(exec.status).not.toBe(0);
    expect(exec.stderr).toContain(`pod ${NS}/elsewhere is simulated by kwok`);
  });
});
