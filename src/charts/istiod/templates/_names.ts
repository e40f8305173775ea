/** `_names.tpl`: the revision and namespace suffixes istiod's object names are built from. */
import { helperFile } from '../../../helm';

export const NAME_HELPERS = helperFile(__filename, [
  {
    name: 'istiod.revisionSuffix',
    doc: '"-<revision>" for a revisioned install, empty for the default one.',
    body: '{{- if .Values.revision }}-{{ .Values.revision }}{{- end }}',
  },
  {
    name: 'istiod.namespaceSuffix',
    doc: '"-<namespace>" outside istio-system, so installs in several namespaces do not collide.',
    body: '{{- if ne .Release.Namespace "istio-system" }}-{{ .Release.Namespace }}{{- end }}',
  },
  { name: 'istiod.name', doc: 'Name of the Deployment, Service and ServiceAccount.', body: 'istiod{{ include "istiod.revisionSuffix" . }}' },
]);
