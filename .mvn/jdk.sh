# Sourced by mvnw and the scripts in bin/: picks a JDK of 21 or later, because the
# default java on these machines is 17 and Quarkus 3.33 needs 21+.
# Order: $JAVA_HOME if new enough, then /usr/lib/jvm (newest first), then java on PATH.
toban_java_major() {
  # prints the feature version of the java binary in $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1 | grep . || echo 0
}
toban_pick_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(toban_java_major "$JAVA_HOME/bin/java")" -ge 21 ]; then
    return 0
  fi
  set +f
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    if [ -x "${candidate}bin/javac" ] && [ "$(toban_java_major "${candidate}bin/java")" -ge 21 ]; then
      JAVA_HOME="${candidate%/}"; export JAVA_HOME; return 0
    fi
  done
  if command -v javac >/dev/null 2>&1; then
    candidate="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
    if [ "$(toban_java_major "$candidate/bin/java")" -ge 21 ]; then
      JAVA_HOME="$candidate"; export JAVA_HOME; return 0
    fi
  fi
  echo "Toban needs a JDK 21 or later (JDK 25 recommended) and found none." >&2
  echo "Install one, for example Temurin 25 (apt install temurin-25-jdk from adoptium.net)" >&2
  echo "or Debian's openjdk-21-jdk, or point JAVA_HOME at it." >&2
  return 1
}
toban_pick_jdk || exit 1
# Maven's own Guice still calls sun.misc.Unsafe; JDK 24+ warns on every build unless told it may.
if [ "$(toban_java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
  case " ${MAVEN_OPTS-} " in
    *sun-misc-unsafe-memory-access*) ;;
    *) MAVEN_OPTS="${MAVEN_OPTS-} --sun-misc-unsafe-memory-access=allow"; export MAVEN_OPTS ;;
  esac
fi
