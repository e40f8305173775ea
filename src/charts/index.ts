import { baseChart } from './base';
import { gatewayChart } from './gateway';
import { istiodChart } from './istiod';
import { ztunnelChart } from './ztunnel';
import { ChartDefinition } from './chart-definition';

/** Every chart `npm run synth` writes, in install order. */
export const ALL_CHARTS: ChartDefinition[] = [baseChart, istiodChart, ztunnelChart, gatewayChart];
