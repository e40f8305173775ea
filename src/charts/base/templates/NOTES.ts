/** `NOTES.txt`: what helm prints after installing base: the next step, istiod. */
export const BASE_NOTES = `
Istio base {{ .Chart.AppVersion }} is installed as release {{ .Release.Name }} in {{ .Release.Namespace }}.
Next, install the control plane:
  helm install istiod ./charts/istiod -n {{ .Values.global.istioNamespace }}
`;
