package dev.mlops.operator;

import dev.mlops.operator.manifest.YamlTree;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;

/** The operator's own output (render, the chart) split into documents, as JSON, by the same YAML reader. */
public final class YamlDocs {

  private YamlDocs() {}

  public static List<String> documents(String text) {
    try {
      List<String> out = new ArrayList<>();
      for (YamlTree.Document doc : YamlTree.parse(text)) {
        if (doc.value() != null) {
          out.add(Serialization.asJson(doc.value()));
        }
      }
      return out;
    } catch (YamlTree.SyntaxException e) {
      throw new IllegalArgumentException("document " + e.document() + ", line " + e.line() + ": " + e.getMessage());
    }
  }
}
