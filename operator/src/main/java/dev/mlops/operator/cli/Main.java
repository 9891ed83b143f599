package dev.mlops.operator.cli;
public class Main { public static void main(String[] a) {} }
