/**
 * The names of the objects the base chart renders, and of the istiod objects they refer to;
 * and the values prelude every base template starts with.
 */
import { Construct } from 'constructs';
import { TemplateFile, TemplateFileOptions, eq, ternary } from '../../helm';
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

/**
 * Every base template starts by computing the effective values (the profile applied, see
 * templates/_values.ts). Idempotent, so the order Helm runs templates in does not matter.
 */
export const PRELUDE = ['{{- include "base.values" . }}'];

/** A template file of the base chart: it starts by computing the effective values (PRELUDE). */
export class BaseTemplate extends TemplateFile {
  constructor(scope: Construct, fileName: string, options: TemplateFileOptions = {}) {
    super(scope, fileName, { prelude: PRELUDE, ...options });
  }
}
