/** `_labels.tpl`: the labels istiod's objects carry and the one its pods are selected by. */
import { defineHelper, helperFile, include, spread, tplName, when, withDefault } from '../../../helm';
import { V } from '../../../values/istiod';
import { labelsHelper } from '../../common/labels';

export const LABEL_HELPERS = helperFile(__filename, [labelsHelper('istiod')]);

/** The labels every object istiod owns carries, as upstream sets them (tools select on them). */
export const PILOT_LABELS = defineHelper(
  'istiod.pilotLabels',
  'Labels of the objects istiod owns: revision, owner and component, as upstream sets them.',
  {
    'istio.io/rev': withDefault(V.revision, 'default'),
    'install.operator.istio.io/owning-resource': withDefault(V.ownerName, 'unknown'),
    'operator.istio.io/component': 'Pilot',
    'app.kubernetes.io/name': 'istiod',
    ...spread(include('istiod.labels')),
  },
  { file: tplName(__filename) },
);

/**
 * The label that tells this revision's istiod pods from others' (Services and PDB add app=istiod):
 * istio.io/rev, or istio=pilot for the default install.
 */
export const REVISION_SELECTOR = defineHelper(
  'istiod.selectorLabels',
  "The label that tells this revision's istiod pods from other revisions': istio.io/rev, or istio=pilot for the default install.",
  when(V.revision, { 'istio.io/rev': V.revision }, { istio: 'pilot' }),
  { file: tplName(__filename) },
);
