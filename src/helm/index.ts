export * from './expr';
export * from './markers';
export * from './emit';
export * from './chart';
