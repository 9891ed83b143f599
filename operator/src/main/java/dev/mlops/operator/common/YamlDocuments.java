package dev.mlops.operator.common;

import java.util.ArrayList;
import java.util.List;

/** Splits multi-document YAML as kubectl does: on lines that are just {@code ---}; blank or comment-only documents are dropped. */
public final class YamlDocuments {

  private YamlDocuments() {}

  public static List<String> split(String yaml) {
    List<String> docs = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (!doc.replaceAll("(?m)^\\s*#.*$", "").isBlank()) {
        docs.add(doc);
      }
    }
    return docs;
  }
}
