export { packPublished, publishedPackageDirs, type Tarball } from './pack.js';
export { npmEnvironment, PackedProject, type PackedProjectOptions } from './packed-project.js';
