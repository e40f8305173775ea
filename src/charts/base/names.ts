/** The names of the objects the base chart renders, and of the istiod objects they refer to. */
import { eq, ternary } from '../../helm';
import { V } from '../../values/base';

/** The ServiceAccount tools (istioctl, multicluster secrets) read the mesh as; istiod's reader role binds it. */
export const READER_SERVICE_ACCOUNT = 'istio-reader-service-account';

/** The cluster-wide validating webhook of the default revision. */
export const DEFAULT_VALIDATOR = 'istiod-default-validator';

/** The default revision's istiod Service, which the default validator calls. */
export const defaultRevisionIstiod = ternary('istiod', `istiod-${V.defaultRevision}`, eq(V.defaultRevision, 'default'));

/** The stable-channel ValidatingAdmissionPolicy of the default revision, and its binding. */
export const STABLE_POLICY = 'stable-channel-default-policy.istio.io';
export const STABLE_POLICY_BINDING = 'stable-channel-default-policy-binding.istio.io';
