export { packPublished, publishedPackageDirs, type Tarball } from './pack.js';
export { PackedProject, type PackedProjectOptions } from './packed-project.js';
