/** A fixed-size window of the most recent values with O(1) mean and standard deviation. */
export class RollingWindow {
  readonly #values: number[];
  #next = 0;
  #count = 0;
  #sum = 0;
  #sumSq = 0;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 2) throw new RangeError(`window size must be an integer >= 2, got ${size}`);
    this.#values = new Array<number>(size).fill(0);
  }

  get count(): number {
    return this.#count;
  }

  push(value: number): void {
    if (this.#count === this.size) {
      const old = this.#values[this.#next] as number;
      this.#sum -= old;
      this.#sumSq -= old * old;
    } else {
      this.#count++;
    }
    this.#values[this.#next] = value;
    this.#sum += value;
    this.#sumSq += value * value;
    this.#next = (this.#next + 1) % this.size;
  }

  mean(): number {
    return this.#count === 0 ? 0 : this.#sum / this.#count;
  }

  /** Sample standard deviation (n - 1); 0 with fewer than two values. */
  std(): number {
    if (this.#count < 2) return 0;
    const m = this.mean();
    const variance = (this.#sumSq - this.#count * m * m) / (this.#count - 1);
    // Running sums can drift a hair below zero for constant series.
    return variance > 0 ? Math.sqrt(variance) : 0;
  }
}
