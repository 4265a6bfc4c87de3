import type { Command } from 'commander';

export function registerCheckConfigCommand(_program: Command): void {}
