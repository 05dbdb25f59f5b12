// Building jobs and job graphs from a script, as Puli's puliclient does:
//   const bake = Job.exec(['./bake.sh'], { frames: '1-40', chunk: 4 });
//   const shot = Job.blender('shot.blend', { chunk: 10 }).after(bake);
//   await (await Spool.open()).submit([bake, shot]);
import type { JobOptions, JobInput } from '../jobs/build.js';
import type { Graph } from '../jobs/submission/index.js';

let counter = 0;

export type Dependency = Job | Group | string;

export class Job {
  readonly dependsOn: Dependency[] = [];
  readonly dependsOnAny: Dependency[] = [];

  private constructor(readonly input: JobInput, readonly ref = `job${++counter}`) {}

  static blender(file: string, options: JobOptions = {}): Job {
    return new Job({ ...options, blend: file });
  }

  static exec(command: string[], options: JobOptions = {}): Job {
    return new Job({ ...options, command });
  }

  /** Start when these are done (jobs of this graph, groups, or ids of jobs already on the spool). */
  after(...dependencies: Dependency[]): this {
    this.dependsOn.push(...dependencies);
    return this;
  }

  /** Start when these have ended, done or failed. */
  afterAny(...dependencies: Dependency[]): this {
    this.dependsOnAny.push(...dependencies);
    return this;
  }
}

/** Jobs that other jobs can wait for as one. */
export class Group {
  readonly members: (Job | Group)[];

  constructor(readonly name: string, members: (Job | Group)[]) {
    this.members = members;
  }

  jobs(): Job[] {
    return this.members.flatMap((m) => (m instanceof Group ? m.jobs() : [m]));
  }
}

/** The graph of everything reachable from `roots`, dependencies included. */
export function toGraph(roots: (Job | Group)[]): Graph {
  const jobs = new Map<string, Job>();
  const groups = new Map<string, string[]>();
  const refOf = (dep: Dependency): string => {
    if (typeof dep === 'string') return dep;
    if (dep instanceof Group) {
      const ref = `group:${dep.name}`;
      groups.set(ref, dep.members.map(refOf));
      return ref;
    }
    add(dep);
    return dep.ref;
  };
  const add = (job: Job) => {
    if (jobs.has(job.ref)) return;
    jobs.set(job.ref, job);
    [...job.dependsOn, ...job.dependsOnAny].forEach(refOf);
  };
  roots.forEach(refOf);
  return {
    groups,
    jobs: [...jobs.values()].map((job) => ({
      ref: job.ref,
      input: job.input,
      after: [...job.dependsOn.map(refOf), ...job.dependsOnAny.map((d) => `${refOf(d)}:any`)],
    })),
  };
}
