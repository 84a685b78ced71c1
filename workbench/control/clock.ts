/**
 * The workbench clock: real time plus an offset that tests and the command line can set. It replaces
 * the process's `Date` so that everything in the workbench (the local products' timestamps and the
 * app's functions) shares one notion of now; browsers follow it through the server time that the app's
 * resolvers return.
 */
import type { Clock } from '../products/types';

const RealDate = Date;

export class WorkbenchClock implements Clock {
  private offsetMs = 0;

  now(): number {
    return RealDate.now() + this.offsetMs;
  }

  /** Jumps to an absolute time (epoch ms). */
  set(epochMs: number): void {
    this.offsetMs = epochMs - RealDate.now();
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }

  get offset(): number {
    return this.offsetMs;
  }

  /** Makes `Date.now()` and `new Date()` follow this clock in this process. */
  install(): void {
    const clock = this;
    function ShiftedDate(this: unknown, ...args: unknown[]) {
      if (!new.target) return new RealDate(clock.now()).toString();
      return args.length === 0 ? new RealDate(clock.now()) : new (RealDate as unknown as new (...a: unknown[]) => Date)(...args);
    }
    ShiftedDate.prototype = RealDate.prototype;
    ShiftedDate.now = () => clock.now();
    ShiftedDate.parse = RealDate.parse;
    ShiftedDate.UTC = RealDate.UTC;
    (globalThis as { Date: unknown }).Date = ShiftedDate;
  }

  static uninstall(): void {
    (globalThis as { Date: unknown }).Date = RealDate;
  }
}
