# Build the jar first: mvn -B package -DskipTests
# Then: docker build -t registry.example.internal/mlops/mlops-operator:0.1.0 .
FROM eclipse-temurin:17-jre

LABEL org.opencontainers.image.title="mlops-operator" \
      org.opencontainers.image.description="Kubernetes operator for multi-node GPU training, NAS volumes, Redis and pipelines" \
      org.opencontainers.image.source="https://github.com/mlops-dev/mlops-operator" \
      org.opencontainers.image.licenses="Apache-2.0"

WORKDIR /app
COPY operator/target/mlops-operator.jar /app/mlops-operator.jar

# Non-root, numeric so the restricted Pod Security Standard can verify it (runAsNonRoot).
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/mlops-operator.jar"]
CMD ["run"]
