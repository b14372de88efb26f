/**
 * onnx-proto is a CommonJS bundle whose named export Node's ESM loader cannot detect: load it with require
 * and keep its types.
 */
import { createRequire } from 'node:module';
import type * as OnnxProto from 'onnx-proto';

export const onnx = (createRequire(import.meta.url)('onnx-proto') as typeof OnnxProto).onnx;
export type { onnx as OnnxTypes } from 'onnx-proto';
