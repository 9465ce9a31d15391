/** The floor of `phyware --version`: print a constant and exit, compiled with the release flags. */
console.log("0.1.0");
