/** The standard labels every object of our charts carries, as a chart-prefixed helper. */
import { HelperDefinition } from '../../helm';

/** `<chart>.labels`: managed-by, instance, part-of, version and chart, as upstream's charts set them. */
export function labelsHelper(chart: string): HelperDefinition {
  return {
    name: `${chart}.labels`,
    doc: 'Labels on every object: who manages it, which release, which Istio version.',
    body: [
      'app.kubernetes.io/managed-by: {{ .Release.Service | quote }}',
      'app.kubernetes.io/instance: {{ .Release.Name | quote }}',
      'app.kubernetes.io/part-of: "istio"',
      'app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}',
      'helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}',
    ].join('\n'),
  };
}
