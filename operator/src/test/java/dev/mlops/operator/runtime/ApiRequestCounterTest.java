package dev.mlops.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiRequestCounterTest {

  @Test
  void namesVerbAndResourceLikeKubectl() {
    assertThat(ApiRequestCounter.key("POST", "/api/v1/namespaces/a/pods", null)).isEqualTo("create pods");
    assertThat(ApiRequestCounter.key("GET", "/api/v1/namespaces/a/pods/p", null)).isEqualTo("get pods");
    assertThat(ApiRequestCounter.key("GET", "/api/v1/pods", "watch=true&labelSelector=x")).isEqualTo("watch pods");
    assertThat(ApiRequestCounter.key("GET", "/api/v1/nodes", "labelSelector=x")).isEqualTo("list nodes");
    assertThat(ApiRequestCounter.key("PUT", "/apis/mlops.dev/v1alpha1/namespaces/a/trainingjobs/t/status", null))
        .isEqualTo("update trainingjobs/status");
    assertThat(ApiRequestCounter.key("DELETE", "/apis/batch/v1/namespaces/a/jobs/j", null)).isEqualTo("delete jobs");
  }
}
