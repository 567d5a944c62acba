/**
 * Progress display: a cli-progress bar per phase on a terminal, plain lines otherwise (CI logs, pipes), so the
 * output of a run is readable in both places.
 */
import cliProgress from 'cli-progress';

export interface Phase {
  tick(n?: number): void;
  done(summary?: string): void;
}

export class Progress {
  private readonly tty = Boolean(process.stdout.isTTY);

  note(line: string): void {
    console.log(line);
  }

  phase(title: string, total: number): Phase {
    const started = performance.now();
    const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
    if (this.tty) {
      const bar = new cliProgress.SingleBar(
        { format: `${title.padEnd(44)} {bar} {percentage}% | {value}/{total} | {duration}s`, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
      return {
        tick: (n = 1) => bar.increment(n),
        done: (summary) => {
          bar.update(total);
          bar.stop();
          if (summary) console.log(`  ${summary}`);
        },
      };
    }
    console.log(`${title} (${total} steps)...`);
    let count = 0;
    let shown = 0;
    return {
      tick: (n = 1) => {
        count += n;
        // About ten lines per phase at most.
        if (count - shown >= Math.max(1, Math.ceil(total / 10)) && count < total) {
          shown = count;
          console.log(`  ${title}: ${count}/${total} (${seconds()} s)`);
        }
      },
      done: (summary) => console.log(`  ${title}: done in ${seconds()} s${summary ? ` — ${summary}` : ''}`),
    };
  }
}
