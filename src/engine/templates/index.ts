// The template gallery: each entry yields a valid project that compiles and trains.
import type { TemplateInfo } from './builder.js';
import { gptMini, lstmText, miniBert } from './sequence.js';
import { lenet5, mlp, resnet18, unet, vitTiny } from './vision.js';

export const TEMPLATES: readonly TemplateInfo[] = [mlp, lenet5, resnet18, unet, lstmText, miniBert, gptMini, vitTiny];

export function findTemplate(id: string): TemplateInfo | undefined {
  return TEMPLATES.find((t) => t.id === id);
}

export type { TemplateInfo };
