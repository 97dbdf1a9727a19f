public enum EmployerAPIContract {}
