# llama in a container. Two images from one file:
#   docker build -t llama .                        every role (reflector, collector, scraper, node, demo)
#   docker build --target reflector -t llama-reflector .   the reflector alone: reflector-only jar on a jlinked JRE
# Run: docker run --network host llama reflector -port 8100
#      docker run --network host -v /etc/llama:/etc/llama:ro llama collector -llama.config /etc/llama/collector.yaml
#      docker run --network host -v /etc/llama:/etc/llama:ro llama node -config /etc/llama/node.yaml
#      docker run -p 5000:5000 llama demo -api 0.0.0.0:5000
# JARS=context takes target/llama.jar and target/llama-reflector.jar from the build context (built on the
# host with mvn package) instead of running Maven in a build stage, and JRE=context takes the reflector's
# jlinked JRE from target/reflector-jre; the tests build both images that way (no registry here).
ARG BUILD_IMAGE=maven:3-eclipse-temurin-17
ARG BASE=eclipse-temurin:17-jre
ARG SLIM_BASE=debian:bookworm-slim
ARG JARS=build
ARG JRE=jlink

FROM ${BUILD_IMAGE} AS jars-build
# gcc builds the native datagram library into the jars (without it they carry none and Netty's path runs)
RUN apt-get update -q && apt-get install -y -q --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pom.xml ./
COPY src src
COPY conf conf
COPY packaging packaging
COPY README.md ./
RUN mvn -B -q -ntp -Dmaven.test.skip=true package && mkdir -p /out && cp target/llama.jar target/llama-reflector.jar /out/

FROM ${BASE} AS jars-context
COPY target/llama.jar target/llama-reflector.jar /out/

FROM jars-${JARS} AS jars

# A JRE with only the modules the reflector loads (jlink needs a JDK with jmods: the build image has one).
# Keep this module list the same as ReflectorJarIT's.
FROM ${BUILD_IMAGE} AS jre-jlink
RUN jlink --add-modules java.base,java.xml,java.naming,java.management,jdk.management,jdk.unsupported,jdk.crypto.ec \
        --strip-debug --no-man-pages --no-header-files --compress=2 --output /opt/jre

FROM ${SLIM_BASE} AS jre-context
COPY target/reflector-jre /opt/jre

FROM jre-${JRE} AS reflector-jre

FROM ${BASE} AS runtime
RUN useradd --system --user-group --uid 10001 --home-dir /var/lib/llama --shell /usr/sbin/nologin llama \
    && mkdir -p /etc/llama /var/lib/llama/queue && chown -R llama:llama /var/lib/llama
COPY --from=jars /out/ /usr/share/llama/
COPY packaging/llama packaging/jvm-options.sh packaging/healthcheck /usr/share/llama/
COPY conf/ /etc/llama/
RUN ln -s /usr/share/llama/llama /usr/bin/llama
ENV LLAMA_HOME=/usr/share/llama
USER llama
WORKDIR /var/lib/llama
# The scraper's (and a node's) disk queue of summaries not yet written: -llama.queue-dir /var/lib/llama/queue
VOLUME /var/lib/llama/queue
# reflector UDP 8100; API (collector, node, demo) TCP 5000; node: Hazelcast TCP 5701, event bus TCP 5801
EXPOSE 8100/udp 5000/tcp 5701/tcp 5801/tcp
# The API's /health where the role has one; a bare reflector has no API and counts as healthy while it runs.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD ["/usr/share/llama/healthcheck"]
ENTRYPOINT ["/usr/bin/llama"]
CMD ["--help"]

FROM ${SLIM_BASE} AS reflector
RUN useradd --system --user-group --uid 10001 --no-create-home --shell /usr/sbin/nologin llama
COPY --from=reflector-jre /opt/jre /opt/jre
COPY --from=jars /out/llama-reflector.jar /usr/share/llama/
COPY packaging/llama packaging/jvm-options.sh /usr/share/llama/
RUN ln -s /usr/share/llama/llama /usr/bin/llama
ENV LLAMA_HOME=/usr/share/llama PATH=/opt/jre/bin:$PATH
USER llama
EXPOSE 8100/udp
ENTRYPOINT ["/usr/bin/llama", "reflector"]
CMD ["-port", "8100"]

# The default target: every role.
FROM runtime
