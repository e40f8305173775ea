/**
 * RBAC shared by the charts: rule sets that carry their reason into the chart, the verb sets
 * the rules use, and a role written together with its binding.
 */
import * as k8s from '../../helm/kube';
import { HelmObject, TemplateFile, comment } from '../../helm';

export const READ = ['get', 'list', 'watch'];
export const READ_WRITE = ['get', 'watch', 'list', 'update', 'patch', 'create', 'delete'];

/** A group of rules with one reason, written as a comment above its first rule. */
export function ruleSet(why: string, rules: k8s.PolicyRule[]): k8s.PolicyRule[] {
  const [first, ...rest] = rules;
  return [comment(why, first), ...rest];
}

/** What a Role or ClusterRole is: its kind, metadata, rules and when it exists. */
export interface RoleProps {
  readonly kind: 'Role' | 'ClusterRole';
  readonly metadata: { name: string; namespace?: string } & Record<string, unknown>;
  readonly rules: k8s.PolicyRule[];
  /** Render the role (and its bindings) only when this holds. */
  readonly condition?: unknown;
}

/**
 * A role, defined once and written where it belongs; `bind()` writes a RoleBinding or
 * ClusterRoleBinding with the same name, namespace, labels and condition that refers to it
 * (cdk8s-plus's `Role.bind()` is the model), so a binding can never point at another role.
 */
export class RoleDefinition {
  constructor(private readonly props: RoleProps) {}

  /** Write the role into a template file. */
  public write(file: TemplateFile, id: string, doc?: string): void {
    const { kind, metadata, rules, condition } = this.props;
    const gvk = kind === 'Role' ? k8s.GVK.Role : k8s.GVK.ClusterRole;
    new HelmObject(file, id, { gvk, metadata, body: { rules }, condition, doc });
  }

  /** Write the binding of `subjects` to the role into a template file. */
  public bind(file: TemplateFile, id: string, subjects: k8s.Subject[], doc?: string): void {
    const { kind, metadata, condition } = this.props;
    const gvk = kind === 'Role' ? k8s.GVK.RoleBinding : k8s.GVK.ClusterRoleBinding;
    const roleRef: k8s.RoleRef = { apiGroup: 'rbac.authorization.k8s.io', kind, name: metadata.name };
    new HelmObject(file, id, { gvk, metadata, body: { roleRef, subjects }, condition, doc });
  }
}
