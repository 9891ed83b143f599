package dev.mlops.operator.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A group of identical simulated nodes: {@code PRODUCT=COUNTxGPUS}, e.g.
 * {@code NVIDIA-A100-SXM4-80GB=4x8}. The product {@code cpu} (with 0 GPUs) makes plain CPU nodes
 * without GPU labels or taint.
 */
public record NodePool(String product, int count, int gpusPerNode) {

  public static final String DEFAULT = "NVIDIA-A100-SXM4-80GB=4x8,NVIDIA-A100-SXM4-40GB=2x8,cpu=2x0";

  public boolean cpuOnly() {
    return "cpu".equalsIgnoreCase(product);
  }

  /** Node name prefix: the product in lower case, e.g. nvidia-a100-sxm4-80gb. */
  public String namePrefix() {
    return product.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
  }

  public static List<NodePool> parseAll(String spec) {
    List<NodePool> pools = new ArrayList<>();
    for (String part : spec.split(",")) {
      if (!part.isBlank()) {
        pools.add(parse(part.trim()));
      }
    }
    return pools;
  }

  public static NodePool parse(String text) {
    String[] kv = text.split("=", 2);
    String[] sizes = kv.length == 2 ? kv[1].toLowerCase(Locale.ROOT).split("x", 2) : new String[0];
    if (kv.length != 2 || kv[0].isBlank() || sizes.length != 2) {
      throw new IllegalArgumentException("--gpu-nodes entry '" + text
          + "' must look like PRODUCT=COUNTxGPUS, e.g. NVIDIA-A100-SXM4-80GB=4x8");
    }
    try {
      int count = Integer.parseInt(sizes[0]);
      int gpus = Integer.parseInt(sizes[1]);
      if (count < 0 || gpus < 0) {
        throw new NumberFormatException();
      }
      return new NodePool(kv[0], count, gpus);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--gpu-nodes entry '" + text + "': COUNT and GPUS must be whole numbers >= 0");
    }
  }
}
