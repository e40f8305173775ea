/**
 * Profiles in every chart, from the typed data in src/profiles/index.ts: the overlay files
 * (`files/profile-*.yaml`), the named template that says which profile is selected, the lines
 * of `<chart>.values` that apply the overlays, and the checks of validate.yaml that refuse an
 * unknown name and a profile that does not install the chart.
 */
import * as YAML from 'yaml';
import { HelperDefinition, exprOf } from '../../helm';
import {
  COMPONENTS, ChartName, PLATFORM_LIST, PROFILE_ALIASES, PROFILES, Profile, Values, chartOverlays, chartProfileNames, profileInstallsChart,
} from '../../profiles';

const GENERATED = '# Generated from src/profiles/index.ts by npm run synth; do not edit.';

const yaml11 = (v: unknown) => YAML.stringify(v, { version: '1.1', lineWidth: 0 });

/** `files/profile-<name>.yaml` for the profile; the file the values helper reads for it. */
export const profileFile = (name: string) => `files/profile-${name}.yaml`;
export const platformFile = (name: string) => `files/profile-platform-${name}.yaml`;
export const compatibilityFile = (version: string) => `files/profile-compatibility-version-${version}.yaml`;

/** One overlay file: what it is, then the values (as the chart's values model writes them). */
function overlayFile(what: string, description: string, values: Values): string {
  return `${GENERATED}\n# ${what}: ${description}\n${yaml11(values)}`;
}

/** The overlay files of a chart: one per profile, platform and compatibility version that has values for it. */
export function profileFiles(chart: ChartName): Map<string, string> {
  const { profiles, platforms, compatibilityVersions } = chartOverlays(chart);
  const files = new Map<string, string>();
  for (const [p, v] of profiles) files.set(profileFile(p.name), overlayFile(`Profile ${p.name}`, p.description, v));
  for (const [p, v] of compatibilityVersions) files.set(compatibilityFile(p.name), overlayFile(`Compatibility version ${p.name}`, p.description, v));
  for (const [p, v] of platforms) files.set(platformFile(p.name), overlayFile(`Platform ${p.name}`, p.description, v));
  return files;
}

/** A Go-template `dict` literal of string pairs. */
function dictLiteral(entries: Array<[string, string]>): string {
  return `dict ${entries.map(([k, v]) => `${JSON.stringify(k)} ${JSON.stringify(v)}`).join(' ')}`.trimEnd();
}

/** A Go-template `list` literal of strings. */
function listLiteral(items: readonly string[]): string {
  return `list ${items.map((i) => JSON.stringify(i)).join(' ')}`;
}

/**
 * `<chart>.profile`: the selected profile's name as the overlay files name it: `profile`, else
 * `global.profile` (set once for all charts by a parent chart), else default; aliases resolved.
 */
export function profileHelper(chart: ChartName): HelperDefinition {
  const aliases = Object.entries(PROFILE_ALIASES);
  return {
    name: `${chart}.profile`,
    doc: 'The selected profile: profile, else global.profile, else default; external means remote.',
    body: `{{- $name := coalesce .Values.profile (.Values.global | default dict).profile "default" | toString }}
{{- get (${dictLiteral(aliases)}) $name | default $name }}`,
  };
}

/**
 * Lines of `<chart>.values` (where `$defaults` holds the chart defaults) that apply the selected
 * overlays: the profile, then the compatibility version, then the platform, a later one winning
 * where two set the same key. They are applied where a value still holds its chart default, so
 * they sit under everything the user wrote.
 */
export function profileOverlayLines(chart: ChartName): string {
  return `{{- /* The profile, compatibility version and platform overlays (files/profile-*.yaml, a later one winning), applied only where a value still holds its chart default. */}}
{{- $overlay := dict }}
{{- $global := .Values.global | default dict }}
{{- range $file := list (printf "profile-%s" (include "${chart}.profile" .)) (printf "profile-compatibility-version-%s" (.Values.compatibilityVersion | toString)) (printf "profile-platform-%s" (coalesce .Values.platform $global.platform "none")) }}
{{- with $.Files.Get (printf "files/%s.yaml" $file) }}
{{- $overlay = mustMergeOverwrite $overlay (fromYaml .) }}
{{- end }}
{{- end }}
{{- include "${chart}.overlay" (dict "target" .Values "overlay" $overlay "defaults" $defaults) }}`;
}

/** What a profile's components are, for a message: "base, pilot", or "none". */
export function componentList(profile: Profile): string {
  return COMPONENTS.filter((c) => profile.components.includes(c)).join(', ') || 'none';
}

/** The sentence a chart refuses with under a profile that does not install it. */
export function refusal(chart: ChartName, profileName: string, components: string): string {
  return `profile "${profileName}" installs no ${chart} (its components: ${components}); set enabled=true to install this chart under it anyway`;
}

/**
 * The checks every chart's validate.yaml starts with, on the values as the user gave them:
 * the profile and platform names (the schema checks the top-level keys; `global` is an open
 * section in the base and gateway charts, so its spellings are checked here), then the
 * refusal under a profile whose components leave this chart out, unless enabled=true. A chart
 * without `enabled` (the CNI agent, which any profile may need) gets the name checks only.
 */
export function profileChecks(chart: ChartName, enabled?: unknown): string[] {
  const names = chartProfileNames();
  const platforms = PLATFORM_LIST.map((p) => p.name);
  // the profile as the helper gives it, aliases resolved
  const canonical = names.filter((n) => !(n in PROFILE_ALIASES));
  const leftOut: Array<[string, string]> = canonical
    .map((n): [string, Profile] => [n, PROFILES[n]])
    .filter(([, p]) => !profileInstallsChart(p, chart))
    .map(([n, p]) => [n, componentList(p)]);
  const lines = [
    '{{- /* The schema checks the top-level profile and platform; global is open in some charts, so the names are checked here too. */}}',
    `{{- $profile := include "${chart}.profile" . }}`,
    `{{- if not (has $profile (${listLiteral(canonical)})) }}`,
    `{{- fail (printf "unknown profile %q; valid profiles: ${names.join(', ')}" $profile) }}`,
    '{{- end }}',
    '{{- with coalesce .Values.platform (.Values.global | default dict).platform }}',
    `{{- if not (has (toString .) (${listLiteral(platforms)})) }}`,
    `{{- fail (printf "unknown platform %q; valid platforms: ${platforms.join(', ')}" (toString .)) }}`,
    '{{- end }}',
    '{{- end }}',
  ];
  if (enabled === undefined) return lines;
  if (leftOut.length) {
    lines.push(
      `{{- /* The profiles whose components leave the ${chart} chart out, with their components (src/profiles/index.ts). */}}`,
      `{{- $leftOut := ${dictLiteral(leftOut)} }}`,
      `{{- if and (hasKey $leftOut $profile) (ne (toString ${exprOf(enabled)}) "true") }}`,
      // named as the user spelt it (an alias, say)
      `{{- fail (printf ${JSON.stringify(refusal(chart, '%s', '%s').replace('"%s"', '%q'))} (coalesce .Values.profile (.Values.global | default dict).profile | toString) (get $leftOut $profile)) }}`,
      '{{- end }}',
    );
  }
  lines.push(
    `{{- if eq (toString ${exprOf(enabled)}) "false" }}`,
    `{{- fail "enabled=false turns the ${chart} chart off; leave enabled unset to follow the profile, or set it to true" }}`,
    '{{- end }}',
  );
  return lines;
}
