/** `_labels.tpl`: the labels every object of the base chart carries. */
import { helperFile } from '../../../helm';
import { labelsHelper } from '../../common/labels';

export const LABEL_HELPERS = helperFile(__filename, [labelsHelper('base')]);
