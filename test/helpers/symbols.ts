import type { SymbolRecord } from '../../src/binary/types.js';

/** A plain defined C function export, with `extra` fields on top: rows for list and table tests. */
export function symbolRecord(name: string, extra: Partial<SymbolRecord> = {}): SymbolRecord {
  return {
    name,
    demangled: null,
    version: null,
    kind: 'func',
    binding: 'global',
    visibility: 'default',
    defined: true,
    section: '.text',
    address: '0x1000',
    size: 8,
    source: 'dynsym',
    language: 'c',
    noise: false,
    abi: null,
    handler: null,
    ...extra,
  };
}
