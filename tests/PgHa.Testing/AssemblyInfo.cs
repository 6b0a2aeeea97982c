// The harness drives Linux processes (/proc, signals, setpriv, tini): it runs on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
