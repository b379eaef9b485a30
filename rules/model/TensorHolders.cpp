//===--- TensorHolders.cpp - Which types can hold a tensor ----------------===//

#include "TensorHolders.h"
#include "TorchApi.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"

namespace clang::tidy::torch {

namespace {

// Deep enough for a vector of pairs of tuples of tensors; a type nested
// deeper is assumed to hold one.
constexpr unsigned MaxDepth = 8;

/// Types whose tensors sit behind an untyped payload: an IValue's union
/// of pointers, the erased storage of std::function, std::any and
/// `torch::nn::AnyValue`.
bool isTypeErasedHolder(const CXXRecordDecl *Record) {
  return isDeclaredIn(Record, "IValue", {"c10"}) ||
         isDeclaredIn(Record, "function", {"std"}) ||
         isDeclaredIn(Record, "any", {"std"}) ||
         isDeclaredIn(Record, "any", {"c10"}) ||
         isDeclaredIn(Record, "AnyValue", {"torch", "nn"});
}

} // namespace

bool TensorHolders::mayHoldTensor(QualType Type) {
  return typeMayHold(Type, 0);
}

bool TensorHolders::typeMayHold(QualType Type, unsigned Depth) {
  if (Type.isNull() || Depth > MaxDepth)
    return true;
  Type = Type.getNonReferenceType().getCanonicalType();
  if (Type->isDependentType() || Type->isUndeducedType())
    return true;
  if (Type->isVoidType() || Type->isBuiltinType() || Type->isEnumeralType() ||
      Type->isFunctionType() || Type->isMemberPointerType())
    return false;
  if (Type->isPointerType())
    return typeMayHold(Type->getPointeeType(), Depth + 1);
  if (const auto *Array = Type->getAsArrayTypeUnsafe())
    return typeMayHold(Array->getElementType(), Depth + 1);
  const CXXRecordDecl *Record = Type->getAsCXXRecordDecl();
  if (!Record)
    return true;
  return recordMayHold(Record, Depth);
}

bool TensorHolders::recordMayHold(const CXXRecordDecl *Record, unsigned Depth) {
  if (isTensorType(Record->getTypeForDecl()->getCanonicalTypeInternal()) ||
      isTypeErasedHolder(Record))
    return true;
  const CXXRecordDecl *Definition = Record->getDefinition();
  // A class with virtual functions may be the base of one that holds
  // tensors: what it points to is not known here.
  if (!Definition || Definition->isPolymorphic())
    return true;
  return Records.get(Definition, false, [&] {
    // Containers name their element type as a template argument; their
    // fields are often only pointers to nodes of another type.
    if (const auto *Specialization =
            llvm::dyn_cast<ClassTemplateSpecializationDecl>(Definition))
      for (const TemplateArgument &Arg :
           Specialization->getTemplateArgs().asArray()) {
        if (Arg.getKind() == TemplateArgument::Type &&
            typeMayHold(Arg.getAsType(), Depth + 1))
          return true;
        if (Arg.getKind() == TemplateArgument::Pack)
          for (const TemplateArgument &Element : Arg.pack_elements())
            if (Element.getKind() == TemplateArgument::Type &&
                typeMayHold(Element.getAsType(), Depth + 1))
              return true;
      }
    for (const CXXBaseSpecifier &Base : Definition->bases())
      if (typeMayHold(Base.getType(), Depth + 1))
        return true;
    for (const FieldDecl *Field : Definition->fields())
      if (typeMayHold(Field->getType(), Depth + 1))
        return true;
    return false;
  });
}

} // namespace clang::tidy::torch
