/**
 * A log file that rotates by size: `main.log`, then `main.1.log` … `main.N.log`, the oldest
 * dropped. One per process (main, broker, engine), in the platform's log directory. Writes are
 * synchronous and the file is closed before a rotation, so renaming works on Windows too.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

export interface RotatingLogOptions {
  dir: string;
  /** File name without extension: `main` → `main.log`. */
  name: string;
  /** A file is rotated before a write would take it past this size. */
  maxBytes?: number;
  /** How many rotated files to keep besides the current one. */
  keep?: number;
  now?: () => Date;
}

export class RotatingLog {
  private fd: number | null = null;
  private size = 0;
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly now: () => Date;

  constructor(private readonly options: RotatingLogOptions) {
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.keep = options.keep ?? 3;
    this.now = options.now ?? (() => new Date());
    mkdirSync(options.dir, { recursive: true });
  }

  /** `main.log` for 0, `main.1.log` for 1, … */
  file(index = 0): string {
    return join(this.options.dir, `${this.options.name}${index === 0 ? '' : `.${index}`}.log`);
  }

  write(line: string): void {
    const data = Buffer.from(`${this.now().toISOString()} ${line.replace(/\r?\n$/, '')}\n`);
    if (this.fd === null) this.open();
    if (this.size > 0 && this.size + data.length > this.maxBytes) {
      this.rotate();
      this.open();
    }
    writeSync(this.fd!, data);
    this.size += data.length;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private open(): void {
    const path = this.file();
    this.fd = openSync(path, 'a');
    this.size = existsSync(path) ? statSync(path).size : 0;
  }

  private rotate(): void {
    this.close();
    rmSync(this.file(this.keep), { force: true });
    for (let index = this.keep - 1; index >= 0; index--) {
      if (existsSync(this.file(index))) renameSync(this.file(index), this.file(index + 1));
    }
  }
}
