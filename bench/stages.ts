import { rateCap } from './rateCap';
import { renderCost } from './renderCost';
import { responsiveCost } from './responsiveCost';
import { slowestMessage } from './slowestMessage';
import type { BenchStage } from './stage';
import { storeCost } from './storeCost';
import { webhookBurst } from './webhookBurst';

/** Every stage of `npm run bench`, in the order they run and appear in RESULTS.md. */
export const STAGES: BenchStage[] = [
	storeCost,
	slowestMessage,
	webhookBurst,
	rateCap,
	renderCost,
	responsiveCost,
];
