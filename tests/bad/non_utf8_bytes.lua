-- a script file holding only invalid bytes
ÿşÃ(€
