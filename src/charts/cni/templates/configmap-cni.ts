/**
 * The agent's settings (`istio-cni-config`), read by install-cni as its environment: the CNI
 * configuration it writes, ambient redirection, the repair controller and the exclusions.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, comment, expr, onlyIf, rangeMap, spread, str, withDefault } from '../../../helm';
import { V } from '../../../values/cni';
import { CONFIG_MAP_NAME, CniTemplate, appLabels, namespaced } from '../names';

const A = V.ambient;
const R = V.repair;

export class CniConfigMap extends CniTemplate {
  constructor(scope: Construct) {
    super(scope, 'configmap-cni', { condition: namespaced });
    const data: Record<string, string> = {
      ...comment('the agent compares it with the plugin version it finds on the node'),
      CURRENT_AGENT_VERSION: str(withDefault(V.tag, V.global.tag)),
      AMBIENT_ENABLED: str(A.enabled),
      AMBIENT_ENABLEMENT_SELECTOR: expr('toYaml .Values.ambient.enablementSelectors'),
      AMBIENT_DNS_CAPTURE: str(A.dnsCapture),
      AMBIENT_IPV6: str(A.ipv6),
      AMBIENT_RECONCILE_POD_RULES_ON_STARTUP: str(A.reconcileIptablesOnStartup),
      ENABLE_AMBIENT_DETECTION_RETRY: str(A.enableAmbientDetectionRetry),
      ...comment('no empty value: Kubernetes before 1.24 rejected one'),
      ...onlyIf(V.cniConfFileName, { CNI_CONF_NAME: V.cniConfFileName }),
      ISTIO_OWNED_CNI_CONFIG: str(V.istioOwnedCNIConfig),
      ...onlyIf(V.istioOwnedCNIConfig, { ISTIO_OWNED_CNI_CONF_FILENAME: V.istioOwnedCNIConfigFileName }),
      CHAINED_CNI_PLUGIN: str(V.chained),
      EXCLUDE_NAMESPACES: expr('join "," .Values.excludeNamespaces'),
      REPAIR_ENABLED: str(R.enabled),
      REPAIR_LABEL_PODS: str(R.labelPods),
      REPAIR_DELETE_PODS: str(R.deletePods),
      REPAIR_REPAIR_PODS: str(R.repairPods),
      REPAIR_INIT_CONTAINER_NAME: R.initContainerName,
      REPAIR_BROKEN_POD_LABEL_KEY: R.brokenPodLabelKey,
      REPAIR_BROKEN_POD_LABEL_VALUE: R.brokenPodLabelValue,
      NATIVE_NFTABLES: str(V.global.nativeNftables),
      ...comment('env entries are agent settings too'),
      ...spread(rangeMap(V.env, (key, value) => ({ [key]: str(value) }))),
    };
    new HelmObject(this, 'config', {
      gvk: k8s.GVK.ConfigMap,
      metadata: { name: CONFIG_MAP_NAME, namespace: Release.namespace, labels: appLabels() },
      body: { data },
    });
  }
}
