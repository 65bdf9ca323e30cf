/// Builds and runs micros: the build pipeline per engine, the supervisor, scheduled actions.
public enum HearthRuntime {}
