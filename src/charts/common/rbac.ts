/**
 * RBAC shared by the charts: rule sets that carry their reason into the chart, the verb sets
 * the rules use, and a role written together with its binding.
 */
import { k8s } from 'cdk8s-plus-28';
import { comment } from '../../helm';

export const READ = ['get', 'list', 'watch'];
export const READ_WRITE = ['get', 'watch', 'list', 'update', 'patch', 'create', 'delete'];

/** A group of rules with one reason, written as a comment above its first rule. */
export function ruleSet(why: string, rules: k8s.PolicyRule[]): k8s.PolicyRule[] {
  const [first, ...rest] = rules;
  return [comment(why, first), ...rest];
}
