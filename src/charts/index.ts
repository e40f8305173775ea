import { baseChart } from './base';
import { cniChart } from './cni';
import { gatewayChart } from './gateway';
import { istiodChart } from './istiod';
import { ztunnelChart } from './ztunnel';
import { ChartDefinition } from './chart-definition';

/** Every chart `npm run synth` writes, in install order. */
export const ALL_CHARTS: ChartDefinition[] = [baseChart, istiodChart, cniChart, ztunnelChart, gatewayChart];
