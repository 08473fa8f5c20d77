// jose 6 ships only ES modules. Node 20.19+ loads them through require(), but jest's CommonJS
// runtime cannot before Node 24.9, so jest compiles them to CommonJS with the same swc settings
// as our sources. Every jest config whose suites import @tongban/auth needs this wrapper.
const ESM_ONLY_PACKAGES = ['jose'];

module.exports = function withEsmDependencies(config) {
  const [, [transformer, swcOptions]] = Object.entries(config.transform)[0];
  const packages = ESM_ONLY_PACKAGES.join('|');
  return {
    ...config,
    transform: {
      ...config.transform,
      [`/node_modules/(${packages})/.+\\.js$`]: [
        transformer,
        { ...swcOptions, jsc: { target: swcOptions.jsc.target } },
      ],
    },
    transformIgnorePatterns: [`/node_modules/(?!(${packages})/)`],
  };
};
