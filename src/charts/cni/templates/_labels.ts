/** `_labels.tpl`: the standard labels of every cni object, and the owner labels most of them carry. */
import { helperFile } from '../../../helm';
import { labelsHelper } from '../../common/labels';

const OWNER_LABELS = [
  'release: {{ .Release.Name }}',
  'istio.io/rev: {{ .Values.revision | default "default" | quote }}',
  'install.operator.istio.io/owning-resource: {{ .Values.ownerName | default "unknown" | quote }}',
  'operator.istio.io/component: "Cni"',
  'app.kubernetes.io/name: istio-cni',
  '{{ include "cni.labels" . }}',
].join('\n');

export const LABEL_HELPERS = helperFile(__filename, [
  labelsHelper('cni'),
  { name: 'cni.ownerLabels', doc: 'Release, revision, owner and component labels (what istioctl and uninstall select by), then the standard ones.', body: OWNER_LABELS },
]);
