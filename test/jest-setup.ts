// tfjs prints a banner recommending tfjs-node whenever the cpu backend first runs in Node; in the test
// output it is noise (tfjs-node cannot be installed here, see README). Every other warning still shows.
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('looks like you are running TensorFlow.js in Node.js')) return;
  warn(...args);
};

// The SDK's notice that it will need Node 22 next year is printed once per worker; the Lambda runs Node 24.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
