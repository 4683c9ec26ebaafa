// Image templates: MLP, LeNet-5, ResNet-18 (CIFAR-sized), a small U-Net, ViT-tiny.
import type { NodeId } from '../ids.js';
import { GraphBuilder, project, type TemplateInfo } from './builder.js';

const classification = (batchSize: number, epochs: number, learningRate = 0.001) => ({
  optimizer: { name: 'adam' as const, learningRate },
  loss: 'sparseCategoricalCrossentropy',
  metrics: ['accuracy'],
  batchSize,
  epochs,
  seed: 1,
  validationSplit: 0.1,
});

export const mlp: TemplateInfo = {
  id: 'mlp',
  name: 'MLP',
  task: 'classification',
  summary: 'A two-hidden-layer perceptron on MNIST digits: the "hello world" of deep learning.',
  project() {
    const g = new GraphBuilder();
    const x = g.input('image', [28, 28, 1]);
    g.chain(x, [
      ['flatten', 'Flatten', {}],
      ['hidden1', 'Dense', { units: 256, activation: 'relu' }],
      ['hidden2', 'Dense', { units: 128, activation: 'relu' }],
      ['dropout', 'Dropout', { rate: 0.2 }],
      ['logits', 'Dense', { units: 10, activation: 'softmax' }],
    ]);
    return project('MLP on MNIST', this.summary, g.build(), classification(128, 8), { source: 'builtin', name: 'mnist' });
  },
};

export const lenet5: TemplateInfo = {
  id: 'lenet5',
  name: 'LeNet-5',
  task: 'classification',
  summary: "LeCun's 1998 convolutional network for digits (ReLU and max pooling instead of tanh and subsampling).",
  project() {
    const g = new GraphBuilder();
    const x = g.input('image', [28, 28, 1]);
    g.chain(x, [
      ['c1', 'Conv2D', { filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }],
      ['s2', 'MaxPooling2D', { poolSize: 2 }],
      ['c3', 'Conv2D', { filters: 16, kernelSize: 5, activation: 'relu' }],
      ['s4', 'MaxPooling2D', { poolSize: 2 }],
      ['flatten', 'Flatten', {}],
      ['f5', 'Dense', { units: 120, activation: 'relu' }],
      ['f6', 'Dense', { units: 84, activation: 'relu' }],
      ['output', 'Dense', { units: 10, activation: 'softmax' }],
    ]);
    return project('LeNet-5 on MNIST', this.summary, g.build(), classification(64, 8), { source: 'builtin', name: 'mnist' });
  },
};

/** conv → BN → ReLU, the unit every ResNet stage is built from. */
function convBn(g: GraphBuilder, id: string, x: NodeId, filters: number, strides: number, relu = true): NodeId {
  const c = g.layer(`${id}_conv`, 'Conv2D', { filters, kernelSize: 3, strides, padding: 'same', useBias: false }, [x]);
  const b = g.layer(`${id}_bn`, 'BatchNormalization', {}, [c]);
  return relu ? g.layer(`${id}_relu`, 'ReLU', {}, [b]) : b;
}

/** A ResNet basic block: two 3×3 convs and a skip (1×1 projection when the shape changes). */
function basicBlock(g: GraphBuilder, id: string, x: NodeId, filters: number, strides: number, project: boolean): NodeId {
  const a = convBn(g, `${id}a`, x, filters, strides);
  const b = convBn(g, `${id}b`, a, filters, 1, false);
  const skip = project
    ? g.layer(`${id}_proj_bn`, 'BatchNormalization', {}, [g.layer(`${id}_proj`, 'Conv2D', { filters, kernelSize: 1, strides, useBias: false }, [x])])
    : x;
  return g.layer(`${id}_out`, 'ReLU', {}, [g.layer(`${id}_add`, 'Add', {}, [b, skip])]);
}

export const resnet18: TemplateInfo = {
  id: 'resnet18',
  name: 'ResNet-18',
  task: 'classification',
  summary: 'ResNet-18 for 32×32 images (CIFAR-10): a 3×3 stem, four stages of two basic blocks, global pooling.',
  project() {
    const g = new GraphBuilder();
    let x = convBn(g, 'stem', g.input('image', [32, 32, 3]), 64, 1);
    const stages: [number, number][] = [[64, 1], [128, 2], [256, 2], [512, 2]];
    stages.forEach(([filters, strides], s) => {
      x = basicBlock(g, `s${s + 1}b1`, x, filters, strides, strides !== 1);
      x = basicBlock(g, `s${s + 1}b2`, x, filters, 1, false);
    });
    g.chain(x, [
      ['pool', 'GlobalAveragePooling2D', {}],
      ['output', 'Dense', { units: 10, activation: 'softmax' }],
    ]);
    return project('ResNet-18 (CIFAR-sized)', this.summary, g.build(), {
      ...classification(128, 30, 0.001),
      optimizer: { name: 'sgd', learningRate: 0.1, momentum: 0.9 },
    });
  },
};

export const unet: TemplateInfo = {
  id: 'unet',
  name: 'U-Net (small)',
  task: 'segmentation',
  summary: 'A three-level U-Net for 64×64 images: a contracting path, an expanding path and skip connections, one mask channel out.',
  project() {
    const g = new GraphBuilder();
    const twoConvs = (id: string, x: NodeId, filters: number) =>
      g.chain(x, [
        [`${id}_1`, 'Conv2D', { filters, kernelSize: 3, padding: 'same', activation: 'relu' }],
        [`${id}_2`, 'Conv2D', { filters, kernelSize: 3, padding: 'same', activation: 'relu' }],
      ]);
    const e1 = twoConvs('enc1', g.input('image', [64, 64, 3]), 16);
    const e2 = twoConvs('enc2', g.layer('pool1', 'MaxPooling2D', {}, [e1]), 32);
    const mid = twoConvs('bottleneck', g.layer('pool2', 'MaxPooling2D', {}, [e2]), 64);
    const u2 = g.layer('up2', 'Conv2DTranspose', { filters: 32, kernelSize: 2, strides: 2, padding: 'same' }, [mid]);
    const d2 = twoConvs('dec2', g.layer('skip2', 'Concatenate', {}, [u2, e2]), 32);
    const u1 = g.layer('up1', 'Conv2DTranspose', { filters: 16, kernelSize: 2, strides: 2, padding: 'same' }, [d2]);
    const d1 = twoConvs('dec1', g.layer('skip1', 'Concatenate', {}, [u1, e1]), 16);
    g.layer('mask', 'Conv2D', { filters: 1, kernelSize: 1, activation: 'sigmoid' }, [d1]);
    return project('U-Net (small)', this.summary, g.build(), {
      optimizer: { name: 'adam', learningRate: 0.001 },
      loss: 'binaryCrossentropy',
      metrics: ['accuracy'],
      batchSize: 16,
      epochs: 20,
      seed: 1,
      validationSplit: 0.1,
    });
  },
};

export const vitTiny: TemplateInfo = {
  id: 'vit-tiny',
  name: 'ViT-tiny',
  task: 'classification',
  summary: 'A Vision Transformer for 32×32 images: 4×4 patches embedded by a strided conv, learned positions, six pre-LN encoder blocks.',
  project() {
    const g = new GraphBuilder();
    const dim = 128;
    let x = g.chain(g.input('image', [32, 32, 3]), [
      ['patchify', 'Conv2D', { filters: dim, kernelSize: 4, strides: 4 }], // (8, 8, dim): one vector per 4×4 patch
      ['tokens', 'Reshape', { targetShape: [64, dim] }],
      ['positions', 'PositionalEmbedding', { maxLength: 64 }],
    ]);
    for (let i = 1; i <= 6; i++) {
      x = g.layer(`block${i}`, 'TransformerEncoder', { intermediateDim: 2 * dim, numHeads: 4, dropout: 0.1, activation: 'gelu', normalizeFirst: true }, [x]);
    }
    g.chain(x, [
      ['norm', 'LayerNormalization', { epsilon: 1e-6 }],
      ['pool', 'GlobalAveragePooling1D', {}],
      ['output', 'Dense', { units: 10, activation: 'softmax' }],
    ]);
    return project('ViT-tiny (CIFAR-sized)', this.summary, g.build(), { ...classification(128, 30, 0.0005), optimizer: { name: 'adamw', learningRate: 0.0005 } });
  },
};
