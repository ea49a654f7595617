// How many claims the store holds (a label count: no node is read). Example answer: {claims: 0}.
MATCH (c:Claim)
RETURN count(c) AS claims
